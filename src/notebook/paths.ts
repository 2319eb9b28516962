/**
 * Image paths as a notebook's kernel sees them: relative to the notebook's folder (the kernel's
 * working directory), with the path relative to the server root kept beside it.
 */
import { PathExt } from '@jupyterlab/coreutils';

/** Where an image is, for a notebook. */
export interface ImagePaths {
  /** Relative to the notebook's folder: what code in the notebook opens (`../data/x.tif`). */
  path: string;
  /** Relative to the server root (JupyterLab's document path). */
  serverPath: string;
}

/**
 * The image's paths for the notebook at `notebookPath` (both server-root-relative, as
 * JupyterLab's `context.localPath`).
 */
export function imagePathsFor(notebookPath: string, imagePath: string): ImagePaths {
  const serverPath = PathExt.normalize(imagePath);
  // Rooted at '/' so that the result does not depend on the process's working directory.
  const path = PathExt.relative(`/${PathExt.dirname(notebookPath)}`, `/${serverPath}`);
  return { path: path || PathExt.basename(serverPath), serverPath };
}
