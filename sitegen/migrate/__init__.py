"""Bringing a blog made by another generator into sitegen: read it, convert it, write it as sitegen content."""
