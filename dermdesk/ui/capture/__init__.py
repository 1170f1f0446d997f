"""The capture screen: live view, source, light, camera controls, stills, calibration and measuring."""
