using MLNet.KnnLinear.Pipeline;

namespace MLNet.KnnLinear.Search.Hnsw;

/// <summary>The batched, deterministic insertion of every row (see the class summary).</summary>
internal sealed partial class HnswIndex
{
    private Visited?[] _buildVisited = [];

    private void Insert() => InsertFrom(0);

    /// <summary>Inserts nodes <paramref name="first"/> .. Count − 1 into the graph of the nodes before them.</summary>
    private void InsertFrom(int first)
    {
        _buildVisited = new Visited?[MaxThreads];
        if (Count == 0)
        {
            return;
        }

        WorkProgress.Report("HNSW insertion", 0, Count - first);
        int next = first;
        if (first == 0)
        {
            Entry = 0;
            MaxLevel = _levels[0];
            next = 1;
        }

        while (next < Count)
        {
            Cancellation.ThrowIfRequested();
            WorkProgress.Report("HNSW insertion", next - first, Count - first);
            // The batch size depends only on how many rows are in: never on the thread count.
            int end = Math.Min(Count, next + Math.Clamp(next / 16, 1, MaxBatch));
            InsertBatch(next, end);
            next = end;
        }

        WorkProgress.Report("HNSW insertion", Count - first, Count - first);
        _buildVisited = [];
    }

    private void InsertBatch(int begin, int end)
    {
        int frozenEntry = Entry;
        int frozenMax = MaxLevel;
        int size = end - begin;

        // 1. Each new row searches the graph as it stood before the batch: candidates per layer.
        var candidates = new List<(float D, int Id)>[size][];
        RunOver(size, (visited, i) =>
        {
            int v = begin + i;
            var query = Row(v);
            int top = _levels[v];
            var perLayer = new List<(float D, int Id)>[top + 1];
            int entry = frozenEntry;
            float d = Dist(entry, query);
            for (int layer = frozenMax; layer > top; layer--)
            {
                (d, entry) = Greedy(query, d, entry, layer);
            }

            var entries = new List<(float D, int Id)> { (d, entry) };
            for (int layer = Math.Min(top, frozenMax); layer >= 0; layer--)
            {
                entries = SearchLayer(query, entries, ConstructionSearchSize, layer, visited);
                perLayer[layer] = entries;
            }

            for (int layer = top; layer > frozenMax; layer--)
            {
                perLayer[layer] = [];
            }

            candidates[i] = perLayer;
        });

        // 2. Its own links: those candidates plus the batch's earlier rows on the same layer, by the heuristic.
        RunOver(size, (_, i) =>
        {
            int v = begin + i;
            for (int layer = 0; layer <= _levels[v]; layer++)
            {
                var pool = new List<(float D, int Id)>(candidates[i][layer]);
                for (int u = begin; u < v; u++)
                {
                    if (_levels[u] >= layer)
                    {
                        pool.Add((PairDist(u, v), u));
                    }
                }

                pool.Sort(Nearer.Instance);
                var slots = Slots(v, layer);
                var kept = SelectNeighbors(pool, slots.Length);
                for (int s = 0; s < kept.Count; s++)
                {
                    slots[s] = kept[s];
                }
            }
        });

        // 3. Reverse links, grouped by target and layer, added in row order; a full list is re-chosen by the heuristic.
        var requests = new SortedDictionary<(int Target, int Layer), List<int>>();
        for (int v = begin; v < end; v++)
        {
            for (int layer = 0; layer <= _levels[v]; layer++)
            {
                foreach (int target in Slots(v, layer))
                {
                    if (target < 0)
                    {
                        break;
                    }

                    if (!requests.TryGetValue((target, layer), out var sources))
                    {
                        requests[(target, layer)] = sources = [];
                    }

                    sources.Add(v);
                }
            }
        }

        var groups = requests.ToArray();
        RunOver(groups.Length, (_, g) =>
        {
            var ((target, layer), sources) = groups[g];
            var slots = Slots(target, layer);
            var current = new List<int>();
            foreach (int link in slots)
            {
                if (link < 0)
                {
                    break;
                }

                current.Add(link);
            }

            foreach (int source in sources)
            {
                if (!current.Contains(source))
                {
                    current.Add(source);
                }
            }

            if (current.Count > slots.Length)
            {
                var pool = current.Select(id => (PairDist(id, target), id)).ToList();
                pool.Sort(Nearer.Instance);
                current = SelectNeighbors(pool, slots.Length);
            }

            slots.Fill(-1);
            for (int s = 0; s < current.Count; s++)
            {
                slots[s] = current[s];
            }
        });

        for (int v = begin; v < end; v++)
        {
            if (_levels[v] > MaxLevel)
            {
                MaxLevel = _levels[v];
                Entry = v;
            }
        }
    }

    /// <summary>Runs <paramref name="work"/> for items 0 .. count − 1 over threads (contiguous ranges), each thread with its own visited marks.</summary>
    private void RunOver(int count, Action<Visited, int> work)
    {
        int threads = Math.Clamp(count / 2, 1, _buildVisited.Length);
        ParallelRanges.Run(threads, t =>
        {
            // One set of marks per thread slot for the whole build (RunOver calls never overlap).
            var visited = _buildVisited[t] ??= new Visited(Count);
            for (int i = (int)((long)count * t / threads); i < (int)((long)count * (t + 1) / threads); i++)
            {
                work(visited, i);
            }
        });
    }
}
