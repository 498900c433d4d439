package io.sluice.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Whether a folder is on a network filesystem that several machines can share. */
final class SharedFilesystem {

    /** Filesystem types (as {@link java.nio.file.FileStore#type()} names them on Linux) that are network-shared. */
    private static final Set<String> NETWORK_TYPES = Set.of("nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs",
            "fuse.sshfs", "sshfs", "efs", "lustre", "glusterfs", "fuse.glusterfs", "ceph", "fuse.ceph", "cephfs",
            "9p", "afs", "gpfs", "beegfs", "ocfs2", "gfs2", "fuse.s3fs", "fuse.mountpoint-s3", "fuse.gcsfuse",
            "fuse.juicefs", "fuse.rclone", "fuse.goofys", "webdav", "davfs", "fuse.davfs");

    private SharedFilesystem() {
    }

    /** The type of the filesystem holding {@code dir}, or of its nearest existing parent; empty if unknown. */
    static Optional<String> type(Path dir) {
        for (Path p = dir.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                try {
                    return Optional.of(Files.getFileStore(p).type());
                } catch (IOException | SecurityException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    static boolean isNetworkType(String type) {
        return NETWORK_TYPES.contains(type.toLowerCase(Locale.ROOT));
    }
}
