"""Patient records at the station: the patient list and page, lesions on the body map, filing stills."""
