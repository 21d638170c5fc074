"""`parley`, the command line: the one place that wires every package together."""
