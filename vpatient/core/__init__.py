"""The clinical core: anatomy, lesions, findings, answers, generation, grading.

Pure Python and pydantic; no Textual, no terminal, no files (import-linter enforces it).
"""
