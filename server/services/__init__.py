"""Services: every rule of the domain; they flush, the view commits."""
