"""The notifications register: deaths of looked-after children, learning reviews and serious incident
reviews notified by partnerships, with their deadlines, extensions and feedback."""
