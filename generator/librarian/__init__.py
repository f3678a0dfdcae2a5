"""The librarian's workflow: adding scans, importing catalogues, name authorities, era dates,
the quality report and the open-data exports."""
