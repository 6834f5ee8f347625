"""Benchmark: how long `livingsys lint` takes against a bare YAML load and check-jsonschema.

Generates (in a temporary folder, from a fixed seed) registries of N automations that look like
the demo's files, checks that they lint clean, then measures in the same run, each command as a
subprocess started cold (every one pays interpreter start-up):

  lint     `livingsys lint --registry DIR --format json` (output to /dev/null), cold: an
           empty cache folder for each run (the run fills it)
  warm     the same command again, the cache filled by the previous run, nothing changed
  changed  the same after one automation file was edited (a comment added): that file is
           checked again, the others come from the cache
  bare     the fastest of several bare ruamel.yaml loads of the same files (C parser):
           YAML(typ='safe', pure=False), CSafeLoader used directly, CBaseLoader
  cjs      `check-jsonschema --schemafile automation.json <every automation file>`
           (the schema is exported here from the Automation model)

and prints lint/bare (target <= 1.5) and lint/cjs (target < 1), then warm/bare (target < 0.3)
and changed/bare. The machine may be shared: each figure is the best of --repeat runs. It also
times
`livingsys --version` and lists the modules it imports (none of git, celpy, openpyxl,
pydantic, ruamel may appear).

    python bench/lint_bench.py                       # sizes 1,000 and 10,000, best of 3
    python bench/lint_bench.py --sizes 200 --repeat 1
    python bench/lint_bench.py --keep /tmp/reg       # keep the generated registries there
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

SEED = 20261125
#: lint runs "as of" this day, so the generated dates stay valid whatever the real date is.
TODAY = "2026-12-01"
TARGET_BARE = 1.5
TARGET_CJS = 1.0
TARGET_WARM = 0.3
HEAVY = ("git", "celpy", "openpyxl", "pydantic", "ruamel")

BIN = Path(sys.executable).parent

# --------------------------------------------------------------------------------------------
# generating a registry

_FIRST = ["Claire", "Nathalie", "Karim", "Julie", "Sophie", "Marc", "Thomas", "Léa", "Hugo",
          "Camille", "Antoine", "Inès", "Louis", "Manon", "Nicolas", "Sarah", "Julien",
          "Emma", "Mathieu", "Chloé", "Olivier", "Laura", "Pierre", "Élodie", "Yanis",
          "Amandine", "Romain", "Fatima", "Bastien", "Aurélie", "Maxime", "Pauline",
          "Quentin", "Lucie", "Vincent", "Anaïs", "Sébastien", "Margaux", "Rémi", "Océane",
          "Guillaume", "Mélanie", "Damien", "Justine", "François", "Clara", "Benoît", "Zoé",
          "Arnaud", "Agathe", "Cédric", "Noémie"]
_LAST = ["Moreau", "Lefebvre", "Benali", "Martin", "Girard", "Petit", "Nguyen", "Dubois",
         "Bernard", "Robert", "Richard", "Durand", "Leroy", "Simon", "Laurent", "Michel",
         "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier", "Morel", "Mercier",
         "Blanc", "Guerin", "Boyer", "Garnier", "Chevalier", "Francois", "Legrand", "Gauthier",
         "Perrin", "Robin", "Clement", "Morin", "Nicolas", "Henry", "Roussel", "Mathieu",
         "Gautier", "Masson", "Marchand", "Duval", "Denis", "Dumont", "Marie", "Lemaire",
         "Noel", "Meyer", "Dufour", "Meunier"]
_ROLES = {
    "business": ["Finance manager", "Customer service manager", "Sales administration manager",
                 "Sales director", "Purchasing manager", "Logistics manager", "HR manager",
                 "Marketing manager", "Customer service agent, level 1", "Accountant"],
    "technical": ["Operations & IT (internal)", "No-code consultant (external agency)",
                  "Data analyst", "IT support"],
    "manager": ["CEO, chairs the monthly automation review", "COO", "Head of finance"],
}

_TOOLS = ["Make", "Zapier", "n8n (self-hosted)", "Microsoft Power Automate", "HubSpot workflows",
          "Sellsy automations", "Pipedrive automations", "Google Apps Script"]
_CHANNELS = ["email", "sms", "letter", "portal"]

# Families of automations: the facts their conditions use. Each fact: (name, type, unit,
# description, how to draw a value for a scenario).
_FAMILIES = [
    {
        "topic": "invoice", "verbs": ["remind", "chase", "follow", "escalate"],
        "nouns": ["invoices", "payments", "balances", "credit-notes"],
        "days": ("days_without_reply", "Days since the due date or the last reminder without "
                 "any reply or payment."),
        "amount": ("amount_due", "Amount still due on the invoice, taxes included."),
        "flag": ("in_dispute", "The invoice is marked as disputed."),
        "count": ("reminders_sent", "Reminders already sent for this invoice."),
        "category": ("payment_method", ["transfer", "card", "direct-debit", "cheque"]),
    },
    {
        "topic": "quote", "verbs": ["follow-up", "relaunch", "nudge", "track"],
        "nouns": ["quotes", "proposals", "offers", "estimates"],
        "days": ("days_since_quote_sent", "Days since the quote was emailed to the client."),
        "amount": ("quote_amount", "Amount of the quote, excluding taxes."),
        "flag": ("revision_requested", "The client asked for a revised quote."),
        "count": ("follow_ups_sent", "Follow-ups already sent for this quote."),
        "category": ("quote_status", ["sent", "signed", "lost", "revised"]),
    },
    {
        "topic": "ticket", "verbs": ["triage", "route", "answer", "classify"],
        "nouns": ["tickets", "requests", "emails", "claims"],
        "days": ("hours_open", "Hours since the ticket was opened."),
        "amount": ("ai_confidence", "How sure the AI is of the category, from 0 to 1."),
        "flag": ("asks_refund", "The client asks for a refund or a commercial gesture."),
        "count": ("messages_in_thread", "Messages already exchanged in the thread."),
        "category": ("category", ["order-status", "delivery", "invoice", "product", "other"]),
    },
    {
        "topic": "stock", "verbs": ["reorder", "replenish", "alert", "forecast"],
        "nouns": ["stock", "supplies", "parts", "pallets"],
        "days": ("days_of_cover", "Days of sales the current stock still covers."),
        "amount": ("order_value", "Value of the purchase order to place, in EUR."),
        "flag": ("supplier_blocked", "The supplier is blocked in the ERP."),
        "count": ("open_orders", "Purchase orders already open for this item."),
        "category": ("abc_class", ["a", "b", "c"]),
    },
    {
        "topic": "onboarding", "verbs": ["welcome", "onboard", "activate", "check"],
        "nouns": ["clients", "accounts", "suppliers", "partners"],
        "days": ("days_since_signup", "Days since the account was created."),
        "amount": ("first_order_value", "Value of the first order, in EUR."),
        "flag": ("kyc_missing", "Identity or company documents are still missing."),
        "count": ("orders_count", "Orders placed since the signup."),
        "category": ("account_type", ["retail", "wholesale", "public-sector", "reseller"]),
    },
]

_SENTENCES = [
    "It replaces a task that took someone an hour every morning.",
    "The first perimeter covered a single region before it was extended.",
    "Exception cases wait in a validation queue and are announced in the team channel.",
    "Nothing is sent on weekends and public holidays.",
    "Every action is logged in the client's CRM record.",
    "The rules below were written with the business owner during the review of March.",
    "The indicators sheet gets one line per action, reviewed each month.",
    "When in doubt the automation does nothing and a person takes over.",
    "The wording of every message was approved by the business owner.",
    "It reads data from the ERP and never writes back to it.",
]


@dataclass
class Atom:
    """One comparison in a `when` condition, with its Python meaning for the scenarios."""

    fact: str
    op: str
    value: object = None

    def cel(self) -> str:
        if self.op == "is":
            return self.fact
        if self.op == "not":
            return f"!{self.fact}"
        if self.op == "in":
            return f"{self.fact} in [{', '.join(json.dumps(v) for v in self.value)}]"
        return f"{self.fact} {self.op} {json.dumps(self.value)}"

    def holds(self, given: dict) -> bool:
        v = given[self.fact]
        return {
            "is": lambda: bool(v), "not": lambda: not v, "in": lambda: v in self.value,
            ">=": lambda: v >= self.value, "<=": lambda: v <= self.value,
            ">": lambda: v > self.value, "<": lambda: v < self.value,
            "==": lambda: v == self.value, "!=": lambda: v != self.value,
        }[self.op]()


def _all(*atoms: Atom) -> tuple[str, list[list[Atom]]]:
    return " && ".join(a.cel() for a in atoms), [list(atoms)]


def _any(*atoms: Atom) -> tuple[str, list[list[Atom]]]:
    return " || ".join(a.cel() for a in atoms), [[a] for a in atoms]


def _fires(condition: list[list[Atom]], given: dict) -> bool:
    """A condition in disjunctive form: any group whose atoms all hold."""
    return any(all(a.holds(given) for a in group) for group in condition)


def _yaml_str(text: str) -> str:
    """A YAML scalar for ``text``: plain when safe, double-quoted otherwise."""
    if (not text or text[0] in "!&*-?{[|>'\"%@`#,]}: " or ": " in text or " #" in text
            or text.lower() in ("true", "false", "null", "yes", "no", "on", "off", "~")
            or text[-1] in ": " or text.replace(".", "", 1).replace("-", "", 1).isdigit()):
        return json.dumps(text, ensure_ascii=False)
    return text


def _people(rng: random.Random, n: int = 50) -> list[dict]:
    people, seen = [], set()
    kinds = ["manager"] * 3 + ["technical"] * 8 + ["business"] * (n - 11)
    for kind in kinds:
        while True:
            first, last = rng.choice(_FIRST), rng.choice(_LAST)
            pid = (first[0] + "." + last).lower()
            pid = pid.translate(str.maketrans("éèëêïîôöàâçü", "eeeeiiooaacu"))
            if pid not in seen:
                break
        seen.add(pid)
        people.append({"id": pid, "name": f"{first} {last}", "kind": kind,
                       "role": rng.choice(_ROLES[kind]),
                       "contact": f"{pid.replace('.', '_')}@example.com"})
    return people


def _people_yaml(people: list[dict]) -> str:
    out = ["# Everyone the registry refers to (generated by bench/lint_bench.py).", "people:"]
    for p in people:
        out += [f"  - id: {p['id']}", f"    name: {p['name']}", f"    kind: {p['kind']}",
                f"    role: {_yaml_str(p['role'])}", f"    contact: {p['contact']}", ""]
    return "\n".join(out)


_SETTINGS = """\
# Settings of a generated benchmark registry.
organisation: Benchmark Distribution SAS
incident_channel:
  kind: chat
  where: "#automation-incidents"
  description: >-
    Post in #automation-incidents: which automation, what you saw and when.
review:
  default_cadence: monthly
  meeting_minutes: 45
  max_items: 3
  chair: {chair}
policy:
  checks: {{}}
"""


def _shared_rule(rid: str, owner: str, rng: random.Random) -> str:
    threshold = rng.choice([1000, 2500, 5000, 7500, 10000])
    return (f"# A key business rule shared by several automations.\n"
            f"id: {rid}\n"
            f"name: Manager validation above {threshold:,} EUR ({rid})\n"
            "statement: >-\n"
            f"  If the amount at stake with a client is over {threshold:,} EUR, then no "
            "automatic message\n  about it goes to the client: the responsible manager "
            "validates it first.\n"
            f"owner: {owner}\n"
            "parameters:\n"
            # not amount_threshold_eur: the generated automations keep thresholds of their
            # own, which C013 would ask to read from a rule about the same amounts
            f"  validation_above_eur: {threshold}\n"
            f"  eu_hosting_required: {rng.choice(['true', 'false'])}\n"
            f"since: 20{rng.randint(22, 26)}-0{rng.randint(1, 9)}-{rng.randint(10, 28)}\n"
            "source: Management committee minutes\n")


def _number(fact: str) -> bool:
    return fact in ("ai_confidence",) or fact.endswith(("amount", "_due", "_value"))


_AMOUNTS = [200, 800, 1200, 3000, 5000, 6400, 9000, 15000, 30000]


def _automation(aid: str, index: int, rng: random.Random, people: list[dict],
                rule_ids: list[str]) -> str:
    fam = _FAMILIES[index % len(_FAMILIES)]
    business = [p["id"] for p in people if p["kind"] == "business"]
    technical = [p["id"] for p in people if p["kind"] == "technical"]
    managers = [p["id"] for p in people if p["kind"] == "manager"]
    owner, maintainer = rng.choice(business), rng.choice(technical)
    validator = rng.choice(business)
    days, amount, flag, count = fam["days"][0], fam["amount"][0], fam["flag"][0], fam["count"][0]
    cat_name, cat_values = fam["category"]
    confidence = amount == "ai_confidence"
    status = rng.choices(["active", "paused", "retired"], [90, 7, 3])[0]
    perimeter = rng.choice(["first", "extended"])
    human_all = perimeter == "first" and rng.random() < 0.5
    # human_validation of the exception cases only: then the human step of the flow is that
    # validation, and a first-perimeter automation validates each message on its sending step
    # (rule 1, docs/decisions.md "Who validates a client message")
    exceptions_only = not human_all and rng.random() < 0.5
    sends_client = rng.random() < 0.85
    t_days = rng.randint(2, 45)
    t_amount = round(rng.uniform(0.55, 0.95), 2) if confidence else float(
        rng.choice([500, 1000, 1500, 2500, 5000, 7500, 10000, 20000]))
    t_count = rng.randint(1, 3)
    cats = sorted(rng.sample(cat_values, 2))
    other = next(v for v in cat_values if v not in cats)
    step_validated = False

    lines: list[str] = []
    w = lines.append
    w(f"id: {aid}")
    w(f"name: {aid.replace('-', ' ').capitalize()} ({fam['topic']})")
    w("description: >-")
    for s in rng.sample(_SENTENCES, rng.randint(2, 4)):
        w(f"  {s}")
    w(f"status: {status}")
    if status != "active":
        w("status_reason: >-")
        w(f"  {'Paused' if status == 'paused' else 'Retired'} after the review of "
          f"{rng.choice(['March', 'June', 'September'])}: the upstream data changed and the "
          "rules must be rewritten first.")
        w(f"status_since: 2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}")
    w(f"owner: {owner}")
    w(f"maintainer: {maintainer}")
    tool = rng.choice(_TOOLS)
    w(f"tool: {_yaml_str(tool)}")
    w(f'location: "{tool} › {fam["topic"].capitalize()} › scenario \'{aid}\'"')
    w(f"key: {rng.choice(['true', 'false'])}")
    w(f"criticality: {rng.choice(['low', 'medium', 'high'])}")
    w("trigger: >-")
    w(f"  Every working day at {rng.randint(6, 10)}:00, for each {fam['topic']} matching the "
      "rules below.")
    w(f"perimeter: {perimeter}")
    w("")
    w("facts:")
    for name, typ, desc in ((days, "int", fam["days"][1]),
                            (amount, "number", fam["amount"][1]),
                            (flag, "bool", fam["flag"][1]),
                            (count, "int", fam["count"][1]),
                            (cat_name, "string", f"One of {', '.join(cat_values)}.")):
        w(f"  - name: {name}")
        w(f"    type: {typ}")
        if typ == "int" and name == days:
            w(f"    unit: {'hours' if name.startswith('hours') else 'days'}")
        if typ == "number" and not confidence:
            w("    unit: EUR")
        w(f"    description: {_yaml_str(desc)}")
    w("")

    # the flow
    contents = [f"{fam['topic']}-{k}-{rng.randint(1, 9)}" for k in
                rng.sample(["standard", "firm", "final", "welcome", "summary", "offer"],
                           rng.randint(1, 4))]
    steps: list[tuple[str, str, str]] = [("collect", "automatic",
                                          f"Lists the {fam['nouns'][0]} with the facts above.")]
    if rng.random() < 0.4:
        steps.append(("classify", "ai", "Reads the free text and fills in the category."))
    steps.append(("apply-rules", "automatic", "Applies the rules; exceptions wait in the "
                  "validation queue."))
    steps.append(("validate", "human", "Validates, edits or cancels what the rules prepared."))
    if sends_client:
        steps.append(("send", "automatic", "Sends the message with the document attached."))
    steps.append(("log", "automatic", "Records the action and adds a line to the indicators."))
    w("steps:")
    for sid, kind, does in steps:
        w(f"  - id: {sid}")
        w(f"    kind: {kind}")
        w(f"    does: {_yaml_str(does)}")
        w(f"    by: {validator if kind == 'human' else _yaml_str(tool)}")
        if sid == "send":
            if rng.random() < 0.3 or (exceptions_only and perimeter == "first"):
                step_validated = True
                w(f"    validated_by: {validator}")
            w("    sends:")
            for content in contents[: rng.randint(1, len(contents))]:
                w("      - audience: client")
                w(f"        channel: {rng.choice(_CHANNELS)}")
                w(f"        content: {content}")
        elif sid == "log" and rng.random() < 0.5:
            w("    sends:")
            w("      - {audience: internal, channel: chat}")
    w("")

    # rules and exceptions, with machine-checkable conditions
    rules = []
    when, cond = _all(Atom(days, ">=", t_days), Atom(count, "<", t_count),
                      Atom(amount, ">=" if confidence else "<=", t_amount), Atom(flag, "not"))
    rules.append(("act-after-threshold", when, cond,
                  f"{days.replace('_', ' ')} reaches {t_days}, fewer than {t_count} actions "
                  f"were taken and the {amount.replace('_', ' ')} is within {t_amount}",
                  f"act automatically ({fam['verbs'][0]})"))
    if rng.random() < 0.6:
        # The follow-up: its action differs, so it must not apply with the first rule (C008):
        # it starts where the first one stops, at t_count actions already taken.
        when, cond = _all(Atom(cat_name, "in", cats), Atom(days, ">=", t_days * 2),
                          Atom(count, ">=", t_count), Atom(count, "<", t_count + 2),
                          Atom(amount, ">=" if confidence else "<=", t_amount),
                          Atom(flag, "not"))
        rules.append((f"{cats[0]}-late", when, cond,
                      f"the {cat_name.replace('_', ' ')} is {' or '.join(cats)}, twice the "
                      f"delay has passed after {t_count} actions and the "
                      f"{amount.replace('_', ' ')} is within {t_amount}",
                      "send the firmer message automatically"))
    exceptions = []
    when, cond = _all(Atom(days, ">=", t_days), Atom(amount, "<" if confidence else ">",
                                                     t_amount))
    exceptions.append(("over-threshold", when, cond, f"the {amount.replace('_', ' ')} is "
                       f"beyond {t_amount}", "nothing automatic; the owner decides",
                       rng.choice(business + managers)))
    when, cond = _all(Atom(flag, "is"))
    exceptions.append(("flagged", when, cond, f"{flag.replace('_', ' ')}",
                       "the case waits for a person", validator))
    unusual = rng.random() < 0.5
    if unusual:
        when, cond = _any(Atom(cat_name, "==", other), Atom(count, ">=", t_count + 2))
        exceptions.append(("unusual-case", when, cond, f"the {cat_name.replace('_', ' ')} is "
                           f"{other} or too many actions were taken already",
                           "a person takes over", rng.choice(business)))
    w("rules:")
    for rid, when, _, if_, then in rules:
        w(f"  - id: {rid}")
        w(f"    if: {_yaml_str(if_)}")
        w(f"    then: {_yaml_str(then)}")
        if len(when) > 70:
            w("    when: >-")
            w(f"      {when}")
        else:
            w(f"    when: {json.dumps(when) if when.startswith('!') else when}")
        w(f"    action: {rid}")
    w("")
    w("exceptions:")
    for eid, when, _, if_, then, who in exceptions:
        w(f"  - id: {eid}")
        w(f"    if: {_yaml_str(if_)}")
        w(f"    then: {_yaml_str(then)}")
        w(f"    when: {json.dumps(when) if when.startswith('!') else when}")
        w(f"    handled_by: {who}")
    w("")

    w("guardrails:")
    if human_all or exceptions_only:
        w("  human_validation:")
        w(f"    by: {validator}")
        w(f"    scope: {'all' if human_all else 'exceptions'}")
        w("    description: Cases put on hold wait for a person's validation.")
    w(f"  daily_cap: {rng.randint(10, 500)}")
    w("  notify_on_exception:")
    w(f'    channel: "#{fam["topic"]}-automations"')
    w(f"    to: [{', '.join(sorted({owner, validator}))}]")
    w("  kill_switch: >-")
    w(f"    Switch off the scenario '{aid}' in {tool}; the other scenarios keep running.")
    w("")
    used = rng.sample(rule_ids, rng.randint(0, 2))
    if used:
        w(f"uses_rules: [{', '.join(used)}]")
        w("")
    w("content:")
    for content in contents:
        w(f"  - id: {content}")
        w(f"    description: {_yaml_str(content.replace('-', ' ').capitalize() + ' message.')}")
        w(f'    location: "{tool} › Templates › \'{content}\'"')
        w(f"    valid_until: 20{rng.randint(27, 30)}-{rng.randint(1, 12):02d}-"
          f"{rng.randint(1, 28):02d}")
    w("")
    w("review:")
    w(f"  cadence: {rng.choice(['monthly', 'quarterly'])}")
    if rng.random() < 0.1:
        w("")
        w("waivers:")
        w("  - check: G014")
        w("    reason: The content is renewed every year by the legal team, on their calendar.")
        w(f"    approved_by: {rng.choice(managers)}")
        # within G025's 180 days
        w(f"    expires: 2027-{rng.randint(1, 5):02d}-{rng.randint(1, 28):02d}")
    w("")

    # scenarios: one per rule and per exception (each made to apply), then a few random cases;
    # each with the outcome the rules give (docs/decisions.md: the first exception that holds
    # decides who validates, else the rules that apply act, through the validation drawn in
    # the guardrails or the flow)
    plain = [v for v in cat_values if not (unusual and v == other)]

    def within() -> float:  # on the rules' side of the amount threshold
        if confidence:
            return round(rng.uniform(t_amount, 0.99), 2)
        return float(rng.choice([v for v in _AMOUNTS if v <= t_amount]))

    def beyond() -> float:  # on the exception's side
        if confidence:
            return round(rng.uniform(0.3, t_amount - 0.01), 2)
        return float(rng.choice([v for v in _AMOUNTS if v > t_amount]))

    def base(**changes) -> dict:
        given = {days: rng.randint(0, t_days - 1), amount: within(), flag: False,
                 count: rng.randint(0, t_count - 1), cat_name: rng.choice(plain)}
        given.update({{"days": days, "amount": amount, "flag": flag, "count": count,
                       "cat": cat_name}[k]: v for k, v in changes.items()})
        return given

    targeted = [("rule", rules[0][0], base(days=t_days + rng.randint(0, 5)))]
    if len(rules) > 1:
        targeted.append(("rule", rules[1][0], base(
            days=t_days * 2 + rng.randint(0, 5), count=t_count + rng.randint(0, 1),
            cat=rng.choice(cats))))
    targeted.append(("exception", "over-threshold",
                     base(days=t_days + rng.randint(0, 2 * t_days), amount=beyond())))
    targeted.append(("exception", "flagged", base(flag=True)))
    if unusual:
        targeted.append(("exception", "unusual-case", base(cat=other) if rng.random() < 0.5
                         else base(count=t_count + 2)))
    for _ in range(rng.randint(0, 3)):
        targeted.append(("case", "", {
            days: rng.randint(0, t_days * 3),
            amount: round(rng.uniform(0.3, 1.0), 2) if confidence
            else float(rng.choice(_AMOUNTS)),
            flag: rng.random() < 0.2,
            count: rng.randint(0, t_count + 2),
            cat_name: rng.choice(cat_values),
        }))

    w("scenarios:")
    for number, (kind, target, given) in enumerate(targeted, 1):
        fired_exc = [e for e in exceptions if _fires(e[2], given)]
        fired = [r[0] for r in rules if _fires(r[2], given)]
        if kind == "rule":
            assert target in fired and not fired_exc, (aid, target, given)
        elif kind == "exception":
            assert fired_exc[0][0] == target, (aid, target, given)
        facts = ", ".join(f"{k}: {json.dumps(v)}" for k, v in given.items())
        if fired_exc:
            expect = {"outcome": "needs_validation", "exception": fired_exc[0][0],
                      "validated_by": fired_exc[0][5]}
        elif fired and (human_all or step_validated or (sends_client and not exceptions_only)):
            expect = {"outcome": "needs_validation", "rules": fired, "validated_by": validator}
        elif fired:
            expect = {"outcome": "automatic", "rules": fired}
        else:
            expect = {"outcome": "nothing", "rules": []}
        name = (f"{number}. {days} {given[days]}, {amount} {given[amount]}, {count} "
                f"{given[count]} -> {expect['outcome']}")
        w(f"  - name: {_yaml_str(name)}")
        w(f"    given: {{{facts}}}")
        w("    expect:")
        for k, v in expect.items():
            w(f"      {k}: [{', '.join(v)}]" if isinstance(v, list) else f"      {k}: {v}")
    return "\n".join(lines) + "\n"


def generate(root: Path | str, n: int, seed: int = SEED) -> Path:
    """Write a registry of ``n`` automations under ``root`` (created); returns ``root``."""
    root = Path(root)
    rng = random.Random(seed)
    (root / "automations").mkdir(parents=True, exist_ok=True)
    for folder in ("rules", "reviews", "incidents"):
        (root / folder).mkdir(exist_ok=True)
    people = _people(rng)
    chair = next(p["id"] for p in people if p["kind"] == "manager")
    (root / "livingsys.yaml").write_text(_SETTINGS.format(chair=chair), encoding="utf-8")
    (root / "people.yaml").write_text(_people_yaml(people), encoding="utf-8")
    business = [p["id"] for p in people if p["kind"] == "business"]
    rule_ids = [f"threshold-{name}" for name in
                ("finance", "sales", "purchasing", "support", "logistics", "hr", "marketing",
                 "legal", "ai-data", "quality")]
    for rid in rule_ids:
        (root / "rules" / f"{rid}.yaml").write_text(_shared_rule(rid, rng.choice(business), rng),
                                                    encoding="utf-8")
    seen: set[str] = set()
    figures = ["automation,period,volume,exceptions,time_saved_hours,satisfaction"]
    for i in range(n):
        fam = _FAMILIES[i % len(_FAMILIES)]
        aid = f"{rng.choice(fam['verbs'])}-{rng.choice(fam['nouns'])}-{i:05d}"
        assert aid not in seen
        seen.add(aid)
        (root / "automations" / f"{aid}.yaml").write_text(
            _automation(aid, i, rng, people, rule_ids), encoding="utf-8")
        # the three indicators of the last months, as a team keeps them (G033 asks for them
        # for key automations); from the index, so the automations' random draws stay the same
        for month in (9, 10, 11):
            volume = 40 + (i * 7 + month * 13) % 160
            figures.append(f"{aid},2026-{month:02d},{volume},{volume // 12},"
                           f"{volume / 10:.1f},{3 + (i + month) % 3}")
    (root / "indicators.csv").write_text("\n".join(figures) + "\n", encoding="utf-8")
    return root


# --------------------------------------------------------------------------------------------
# measuring


def _tool(name: str) -> list[str]:
    """A console script of this environment (or on PATH)."""
    local = BIN / name
    if local.exists():
        return [str(local)]
    found = shutil.which(name)
    if found:
        return [found]
    if name == "livingsys":
        return [sys.executable, "-m", "livingsys"]
    raise SystemExit(f"{name} is not installed: pip install -e '.[dev]'")


def lint_command(registry: Path) -> list[str]:
    return [*_tool("livingsys"), "lint", "--registry", str(registry), "--format", "json",
            "--today", TODAY]


# Bare loads: each loads every .yaml file of the registry (settings, people, rules,
# automations), as lint does, with ruamel.yaml's C parser and nothing else.
_BARE_PRELUDE = """\
import os, sys
root = sys.argv[1]
files = []
for d, _, names in os.walk(root):
    files += [os.path.join(d, n) for n in names if n.endswith('.yaml')]
files.sort()
"""
BARE_VARIANTS = {
    "YAML(typ='safe', pure=False).load": _BARE_PRELUDE + """\
from ruamel.yaml import YAML
yaml = YAML(typ='safe', pure=False)
for f in files:
    with open(f, 'rb') as fp:
        yaml.load(fp)
""",
    "CSafeLoader(text).get_single_data": _BARE_PRELUDE + """\
from ruamel.yaml.cyaml import CSafeLoader
for f in files:
    with open(f, encoding='utf-8') as fp:
        loader = CSafeLoader(fp.read())
    try:
        loader.get_single_data()
    finally:
        loader.dispose()
""",
    "CBaseLoader(text).get_single_data": _BARE_PRELUDE + """\
from ruamel.yaml.cyaml import CBaseLoader
for f in files:
    with open(f, encoding='utf-8') as fp:
        loader = CBaseLoader(fp.read())
    try:
        loader.get_single_data()
    finally:
        loader.dispose()
""",
}


def _best(cmd: list[str], repeat: int, *, cwd: Path | None = None,
          ok: tuple[int, ...] = (0,), env: dict[str, str] | None = None,
          before=None) -> float:
    """The best wall time of ``repeat`` runs of ``cmd`` (``before()``, untimed, before
    each: it may return the environment of that run)."""
    best = float("inf")
    for _ in range(repeat):
        run_env = (before() if before is not None else None) or env
        start = time.perf_counter()
        proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=cwd,
                              env=run_env)
        elapsed = time.perf_counter() - start
        if proc.returncode not in ok:
            raise SystemExit(f"{' '.join(cmd[:4])}... exited with {proc.returncode}:\n"
                             f"{proc.stderr.decode(errors='replace')[-2000:]}")
        best = min(best, elapsed)
    return best


def check_clean(registry: Path) -> dict:
    """Run lint once and insist it is clean (exit 0, no findings); returns its JSON report."""
    proc = subprocess.run([*lint_command(registry), "--no-cache"], capture_output=True,
                          text=True)
    if proc.returncode != 0:
        raise SystemExit(f"the generated registry does not lint clean (exit "
                         f"{proc.returncode}):\n{proc.stdout[-3000:]}{proc.stderr[-3000:]}")
    report = json.loads(proc.stdout)
    assert report["summary"]["errors"] == 0 and report["summary"]["warnings"] == 0, report
    return report


def export_schema(target: Path) -> Path:
    from livingsys.models import Automation

    target.write_text(json.dumps(Automation.model_json_schema(by_alias=True), indent=2),
                      encoding="utf-8")
    return target


@dataclass
class Row:
    size: int
    lint: float
    bare: float
    bare_variant: str
    cjs: float
    bare_all: dict[str, float] | None = None
    #: the second lint, nothing changed, and the lint after one file changed (the cache full)
    warm: float | None = None
    changed: float | None = None

    @property
    def vs_bare(self) -> float:
        return self.lint / self.bare

    @property
    def vs_cjs(self) -> float:
        return self.lint / self.cjs


def _cache_env(folder: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "LIVINGSYS_NO_CACHE"}
    return {**env, "LIVINGSYS_CACHE_DIR": str(folder)}


def measure_cache(registry: Path, repeat: int) -> tuple[float, float, float]:
    """(cold, warm, one file changed): lint with an empty cache, again with it filled, and
    after an edit of one automation file (restored afterwards)."""
    base = Path(tempfile.mkdtemp(prefix="livingsys-bench-cache-"))
    runs = iter(range(10**6))
    try:
        def empty() -> dict[str, str]:
            folder = base / f"cold-{next(runs)}"
            return _cache_env(folder)

        cold = _best(lint_command(registry), repeat, before=empty)
        env = _cache_env(base / "warm")
        subprocess.run(lint_command(registry), stdout=subprocess.DEVNULL, env=env, check=True)
        warm = _best(lint_command(registry), repeat, env=env)
        edited = sorted((registry / "automations").iterdir())[0]
        original = edited.read_bytes()

        def edit() -> dict[str, str]:
            edited.write_bytes(original + f"# edited by the bench ({next(runs)})\n".encode())
            return env

        try:
            changed = _best(lint_command(registry), repeat, env=env, before=edit)
        finally:
            edited.write_bytes(original)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    return cold, warm, changed


def measure(registry: Path, size: int, schema: Path, repeat: int) -> Row:
    lint_s, warm, changed = measure_cache(registry, repeat)
    bare = {name: _best([sys.executable, "-c", code, str(registry)], repeat)
            for name, code in BARE_VARIANTS.items()}
    variant = min(bare, key=bare.get)
    files = sorted(p.name for p in (registry / "automations").iterdir())
    cjs = _best([*_tool("check-jsonschema"), "--schemafile", str(schema), *files], repeat,
                cwd=registry / "automations")
    return Row(size, lint_s, bare[variant], variant, cjs, bare, warm, changed)


def format_table(rows: list[Row]) -> str:
    head = (f"{'size':>7}  {'lint s':>8}  {'bare s':>8}  {'cjs s':>8}  "
            f"{'lint/bare':>9}  {'lint/cjs':>8}")
    out = [head, "-" * len(head)]
    for r in rows:
        ok_bare = "ok" if r.vs_bare <= TARGET_BARE else "MISS"
        ok_cjs = "ok" if r.vs_cjs < TARGET_CJS else "MISS"
        out.append(f"{r.size:>7,}  {r.lint:>8.3f}  {r.bare:>8.3f}  {r.cjs:>8.3f}  "
                   f"{r.vs_bare:>6.2f} {ok_bare:<4}{r.vs_cjs:>6.2f} {ok_cjs}")
    out.append(f"targets: lint/bare <= {TARGET_BARE}, lint/cjs < {TARGET_CJS}; bare = fastest "
               "of " + ", ".join(BARE_VARIANTS) + " (fastest: "
               + ", ".join(sorted({r.bare_variant for r in rows})) + ")")
    return "\n".join(out)


def format_cache_table(rows: list[Row]) -> str:
    """cold, warm and one-file-changed lint against the bare load, measured in the same run."""
    head = (f"{'size':>7}  {'cold s':>8}  {'warm s':>8}  {'changed s':>9}  {'bare s':>8}  "
            f"{'cold/bare':>9}  {'warm/bare':>9}  {'changed/bare':>12}")
    out = [head, "-" * len(head)]
    for r in rows:
        if r.warm is None or r.changed is None:
            continue
        ok_cold = "ok" if r.vs_bare <= TARGET_BARE else "MISS"
        ok_warm = "ok" if r.warm / r.bare < TARGET_WARM else "MISS"
        out.append(f"{r.size:>7,}  {r.lint:>8.3f}  {r.warm:>8.3f}  {r.changed:>9.3f}  "
                   f"{r.bare:>8.3f}  {r.vs_bare:>5.2f} {ok_cold:<4} {r.warm / r.bare:>5.2f} "
                   f"{ok_warm:<4}  {r.changed / r.bare:>11.2f}")
    out.append(f"targets: cold/bare <= {TARGET_BARE}, warm/bare < {TARGET_WARM}; each figure "
               "the best of the runs (a shared machine varies from run to run)")
    return "\n".join(out)


def version_probe(repeat: int) -> tuple[float, list[str], list[str]]:
    """Wall time of `livingsys --version`, the modules it imports, and the heavy ones."""
    cmd = [*_tool("livingsys"), "--version"]
    seconds = _best(cmd, repeat)
    env = {**os.environ, "PYTHONPROFILEIMPORTTIME": "1"}
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True)
    modules = []
    for line in proc.stderr.splitlines():
        if line.startswith("import time:") and "|" in line and "imported package" not in line:
            modules.append(line.rsplit("|", 1)[1].strip())
    heavy = sorted({m for m in modules for h in HEAVY if m == h or m.startswith(h + ".")})
    return seconds, modules, heavy


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000",
                        help="Comma-separated registry sizes (default: 1000,10000).")
    parser.add_argument("--repeat", type=int, default=3,
                        help="Runs of each command; the best is kept (default: 3).")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--keep", type=Path, default=None,
                        help="Generate the registries under this folder and keep them.")
    args = parser.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]

    seconds, modules, heavy = version_probe(args.repeat)
    print(f"livingsys --version: {seconds:.3f} s, {len(modules)} modules imported; heavy: "
          f"{', '.join(heavy) or 'none'}")
    top = sorted({m.split('.')[0] for m in modules} - set(sys.stdlib_module_names))
    print(f"  third-party packages imported: {', '.join(top) or 'none'}")

    base = args.keep or Path(tempfile.mkdtemp(prefix="livingsys-bench-"))
    rows = []
    try:
        base.mkdir(parents=True, exist_ok=True)
        schema = export_schema(base / "automation.schema.json")
        for size in sizes:
            registry = base / f"registry-{size}"
            if registry.exists():
                shutil.rmtree(registry)
            start = time.perf_counter()
            generate(registry, size, args.seed)
            report = check_clean(registry)
            assert report["summary"]["automations"] == size
            print(f"generated {size:,} automations in {time.perf_counter() - start:.1f} s "
                  f"({registry}); lint: clean", flush=True)
            rows.append(measure(registry, size, schema, args.repeat))
            print("  bare loads: " + ", ".join(f"{name} {seconds:.3f} s" for name, seconds
                                               in (rows[-1].bare_all or {}).items()))
            print(format_table(rows[-1:]).splitlines()[-2], flush=True)
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)
    print()
    print(format_table(rows))
    print()
    print(format_cache_table(rows))
    failed = heavy or any(r.vs_bare > TARGET_BARE or r.vs_cjs >= TARGET_CJS
                          or (r.warm is not None and r.warm / r.bare >= TARGET_WARM)
                          for r in rows)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
