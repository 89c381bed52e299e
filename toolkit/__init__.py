"""yibao-audit: screen medical-insurance bureau disclosures."""
__version__ = "0.1.0"
