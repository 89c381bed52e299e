"""Claims: every number stated in the running text, typed by what it says (between facts and checks).

``grammar`` reads a passage into claims (amount, change, share, completion, partition, comparison,
product), ``resolve`` completes their operands from the paragraph, the document's other claims and
its tables (or leaves them missing), ``frame`` turns them into a Polars frame with provenance.
"""
