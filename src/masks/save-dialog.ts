/**
 * Where a file is saved, asked of the user when the file is already there: an existing file (a
 * mask, a profile CSV, the centers of all frames) is never overwritten without asking (overwrite / save as / cancel).
 */
import { Dialog, InputDialog, showDialog } from '@jupyterlab/apputils';
import { PathExt } from '@jupyterlab/coreutils';
import type { Contents } from '@jupyterlab/services';
import type { TranslationBundle } from '@jupyterlab/translation';
import { fileExists } from './file-io.js';

/** What is being saved, for the dialogs. */
export interface SaveKind {
  /** Title of the dialog when the file exists. */
  existsTitle: string;
  /** Its body, naming the path. */
  existsBody: (path: string) => string;
  /** Title of the "save as" name input. */
  saveAsTitle: string;
  /** The extension a name typed without one gets ('.tif'). */
  extension: string;
  /** Names that already have an acceptable extension. */
  accepts: RegExp;
}

/**
 * The path to save at: `path` when it is free, or what the user chose when it exists (the same
 * path to overwrite, another name to save as); null when the user cancelled.
 */
export async function chooseSavePath(
  contents: Contents.IManager,
  path: string,
  trans: TranslationBundle,
  kind: SaveKind
): Promise<string | null> {
  let target = path;
  for (;;) {
    if (!(await fileExists(contents, target))) {
      return target;
    }
    const overwrite = trans.__('Overwrite');
    const saveAs = trans.__('Save As…');
    const choice = await showDialog({
      title: kind.existsTitle,
      body: kind.existsBody(target),
      buttons: [
        Dialog.cancelButton({ label: trans.__('Cancel') }),
        Dialog.okButton({ label: saveAs, ariaLabel: saveAs }),
        Dialog.warnButton({ label: overwrite, ariaLabel: overwrite })
      ],
      defaultButton: 0
    });
    if (!choice.button.accept) {
      return null;
    }
    if (choice.button.label === overwrite) {
      return target;
    }
    const name = await InputDialog.getText({
      title: kind.saveAsTitle,
      label: trans.__('File name in %1', PathExt.dirname(target) || '/'),
      text: await Private.freeName(contents, target)
    });
    if (!name.button.accept || !name.value?.trim()) {
      return null;
    }
    const file = name.value.trim();
    target = PathExt.join(PathExt.dirname(target), kind.accepts.test(file) ? file : `${file}${kind.extension}`);
  }
}

/** `chooseSavePath` for a mask TIFF. */
export function chooseMaskSavePath(
  contents: Contents.IManager,
  path: string,
  trans: TranslationBundle
): Promise<string | null> {
  return chooseSavePath(contents, path, trans, {
    existsTitle: trans.__('The mask file exists'),
    existsBody: path => trans.__('%1 already exists. Overwrite it, save the mask under another name, or cancel?', path),
    saveAsTitle: trans.__('Save the mask as'),
    extension: '.tif',
    accepts: /\.tiff?$/i
  });
}

namespace Private {
  /** `a/b_mask.tif` → the name of the first free `a/b_mask-N.tif` (N = 2, 3, …). */
  export async function freeName(contents: Contents.IManager, path: string): Promise<string> {
    const ext = PathExt.extname(path);
    const stem = PathExt.basename(path, ext);
    for (let n = 2; n < 1000; n++) {
      const name = `${stem}-${n}${ext}`;
      if (!(await fileExists(contents, PathExt.join(PathExt.dirname(path), name)))) {
        return name;
      }
    }
    return `${stem}-new${ext}`;
  }
}
