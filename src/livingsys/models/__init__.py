"""The registry's file formats. Every field is documented; the JSON Schema comes from here."""

from pydantic import BaseModel

from livingsys.models.automation import Automation
from livingsys.models.incident import Incident
from livingsys.models.people import People, Person
from livingsys.models.review import Review
from livingsys.models.settings import Settings
from livingsys.models.shared_rule import SharedRule

#: Every file kind, by the name `livingsys schema KIND` uses.
FILE_KINDS: dict[str, type[BaseModel]] = {
    "settings": Settings,
    "people": People,
    "rule": SharedRule,
    "automation": Automation,
    "review": Review,
    "incident": Incident,
}

__all__ = ["Automation", "FILE_KINDS", "Incident", "People", "Person", "Review", "Settings",
           "SharedRule"]
