"""Shipped data files (panel, transcript models, assemblies); see README.md beside this file."""
