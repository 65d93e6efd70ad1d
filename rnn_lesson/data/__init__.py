"""Sequence data for the lessons, one idea per module.

==================  ==========================================================
module              idea
==================  ==========================================================
``sequences``       ``Sequence`` and ``Dataset``: containers, split, arrays
``scaling``         min-max scaling of columns and its inverse
``csvread``         reading any CSV strictly: errors name file, line, column
``sequence_csv``    the course's format ``id,t,features...,labels...``
``creditcard``      the Kaggle credit-card schema: generator and loader
``windows``         cutting one long series into windows with next-value labels
``directions``      lesson 15's tasks: tags that need the next step, ordering of variable length, the xor switch
==================  ==========================================================
"""
from .creditcard import generate_creditcard, load_creditcard, write_creditcard
from .sequences import Dataset, Sequence
from .windows import window_series

__all__ = ["Dataset", "Sequence", "window_series", "generate_creditcard", "load_creditcard", "write_creditcard"]
