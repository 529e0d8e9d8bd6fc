"""klk_analysis: the economic part of a Swedish municipal board's interim and year-end reports."""

__version__ = "0.1.0"
