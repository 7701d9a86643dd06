"""The root of every error newsfuse reports to a user.

Each stage raises its own subclass with a message that names the input and the reason;
the command line turns any of them into one clear line and exit status 1, in one place.
"""


class NewsfuseError(Exception):
    """A problem with the user's input, files, store or settings, said in its message."""
