//! The command line. Headless subcommands are contracts: other tools rely on their names,
//! arguments and exit codes.
