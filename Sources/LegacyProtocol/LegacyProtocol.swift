// LegacyProtocol: see README.md
