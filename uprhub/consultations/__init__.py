"""Listen: community consultations."""
