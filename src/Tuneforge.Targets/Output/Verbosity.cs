namespace Tuneforge.Targets;

public enum Verbosity { Quiet, Minimal, Normal, Verbose }
