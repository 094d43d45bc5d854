"""Commands that join several packages (``check``). Each command's ``main(argv)`` is dispatched
by ``lib.cli``; commands of one concern live in that concern's package. May import any package.
"""
