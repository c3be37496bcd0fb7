// Store: see README.md
