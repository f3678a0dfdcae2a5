"""Class schedules: occurrences, validation, and what the build derives from them (feeds, open data)."""
