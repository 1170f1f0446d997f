"""Interoperability with the clinic's other systems: DICOM objects of a visit, and DICOM stills imported.

Qt-free (an import-linter contract keeps it so). It reads the records through their services and
plain views, lays out nothing itself (the signed report PDF comes from the records), and writes files
atomically. Export: `export_visit`; import: `import_still`. See docs/dicom.md.
"""
