"""What is not conversation: watching over the data and reading it out (monitoring, tallies, charts, the Excel
export and its columns, printed documents) and planning the reminders.
"""
