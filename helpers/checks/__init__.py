"""The exercise checks, one module per notebook, named like the notebook.

Each exercise has one function here that takes the learner's answer, prints one verdict (see
helpers.exercises) and returns True or False. Everything a check compares against is computed inside
that function, on fresh inputs, so the notebook's namespace never holds an answer.
"""
