"""Problems back in the sheet: the app's Problems tab and cell notes (see connectors.problems.feedback)."""
