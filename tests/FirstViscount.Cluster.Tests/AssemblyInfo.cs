// The chaos tests measure how fast the cluster recovers: run one at a time, so that they do not compete for the CPU.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
