"""The pure core: business rules as plain Python, without Django, I/O or a clock."""
