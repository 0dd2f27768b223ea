"""HL7 FHIR R4: a patient's record as a Bundle, shaped by the Physical Activity guide."""
