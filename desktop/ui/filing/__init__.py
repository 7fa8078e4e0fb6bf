"""The annual filing page, the USB export dialog, consolidation, and the backup menu."""
