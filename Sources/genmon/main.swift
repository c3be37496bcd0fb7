print("genmon")
