"""One module per check code; modules here are discovered and imported by ``toolkit.checks``."""
