"""Engines that SiliconCompiler runs as executables: one command per tool library.

Each runs in its own process so that a crash or a hang is caught by SiliconCompiler
(timeout, exit status, log) instead of taking the flow down.
"""
