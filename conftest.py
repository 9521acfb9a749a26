pytest_plugins = ["promises.tests.factories"]
