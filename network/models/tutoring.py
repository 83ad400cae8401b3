"""tutoring"""
