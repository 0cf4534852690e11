"""Wagtail pages: home, guidance, pathway pages, exam calendar, news."""
