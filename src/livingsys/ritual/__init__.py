"""The living system's routines: review schedule, review-due, agenda, minutes, report, export,
init/new."""
