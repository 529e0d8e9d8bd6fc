"""The test corpus: hand-made workbooks in the dialects of real finance systems and economists."""
