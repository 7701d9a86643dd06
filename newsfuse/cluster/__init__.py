"""Group articles into stories, one per real-world event."""
