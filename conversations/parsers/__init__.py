"""Pure parsers of what people type: Thai digits and number words, Buddhist-era dates, money, contacts."""
