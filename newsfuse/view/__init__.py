"""The one view of a story that every reader (the reports, the web pages) renders."""
