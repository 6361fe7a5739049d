"""Development checks that hold the layout (see docs/architecture.md); not shipped."""
