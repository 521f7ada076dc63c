"""Run the CAS test server: `python -m tests.cas.serve <settings.json>`. Migrates its SQLite
database, makes the people and the one service pattern the JSON names, and serves on its port
until SIGTERM (tests/cas_server.py)."""

import json
import os
import sys


def setup(settings):
    """The people (a Django user each: first_name is the `name` attribute, last_name the `unit`)
    and the app's service pattern, which releases those two attributes under the app's names."""
    from cas_server.models import ReplaceAttributName, ServicePattern
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    for login, person in settings["people"].items():
        user = get_user_model()(username=login, first_name=person["name"], last_name=person["unit"])
        user.set_password(person["password"])
        user.save()
    pattern = ServicePattern.objects.create(name="safety-zones", pattern=settings["service_pattern"])
    ReplaceAttributName.objects.create(name="first_name", replace="name", service_pattern=pattern)
    ReplaceAttributName.objects.create(name="last_name", replace="unit", service_pattern=pattern)


def main(path):
    with open(path, encoding="utf-8") as file:
        settings = json.load(file)
    os.environ["CAS_TEST_DB"] = settings["database"]
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.cas.settings"
    import django
    from django.core.management import call_command

    django.setup()
    setup(settings)
    call_command("runserver", f"127.0.0.1:{settings['port']}", use_reloader=False, use_threading=True)


if __name__ == "__main__":
    main(sys.argv[1])
