"""Dialogue on a 3D model (CityPlanner): staff upload a "before" and an "after" GLB model, residents pin
comments at a point of either with the camera view they saw, and answer each other in threads."""
