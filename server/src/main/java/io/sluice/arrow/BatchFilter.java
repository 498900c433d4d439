package io.sluice.arrow;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;

import java.io.IOException;
import java.util.Map;
import java.util.Set;

/**
 * An {@link ArrowReader} that passes another reader's batches on, looking at or changing each one
 * in {@link #loadNextBatch()}: the batches stay in the source's vectors (no copy), and the source
 * stays its owner's to close.
 */
public abstract class BatchFilter extends ArrowReader {

    protected final ArrowReader source;

    protected BatchFilter(BufferAllocator allocator, ArrowReader source) {
        super(allocator);
        this.source = source;
    }

    @Override
    public VectorSchemaRoot getVectorSchemaRoot() throws IOException {
        return source.getVectorSchemaRoot();
    }

    @Override
    public Map<Long, Dictionary> getDictionaryVectors() throws IOException {
        return source.getDictionaryVectors();
    }

    @Override
    public Dictionary lookup(long id) {
        return source.lookup(id);
    }

    @Override
    public Set<Long> getDictionaryIds() {
        return source.getDictionaryIds();
    }

    @Override
    protected void closeReadSource() {
        // the source is closed by its owner
    }

    @Override
    protected Schema readSchema() throws IOException {
        return source.getVectorSchemaRoot().getSchema();
    }
}
