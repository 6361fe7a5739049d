app_name = "governance"

urlpatterns: list = [
    # Each concern adds its routes here, e.g. path("notices/", ...).
]
