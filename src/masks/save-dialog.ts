/**
 * Where "Save Mask" (and the sidecar of the centers of all frames) writes, asked of the user when
 * the file is already there: an existing file is never overwritten without asking (overwrite /
 * save as / cancel).
 */
import { Dialog, InputDialog, showDialog } from '@jupyterlab/apputils';
import { PathExt } from '@jupyterlab/coreutils';
import type { Contents } from '@jupyterlab/services';
import type { TranslationBundle } from '@jupyterlab/translation';
import { fileExists } from './file-io.js';

/**
 * The path to save the mask at: `path` when it is free, or what the user chose when it exists
 * (the same path to overwrite, another name to save as); null when the user cancelled.
 */
export function chooseMaskSavePath(
  contents: Contents.IManager,
  path: string,
  trans: TranslationBundle
): Promise<string | null> {
  return chooseSavePath(contents, path, trans, {
    title: trans.__('The mask file exists'),
    body: target => trans.__('%1 already exists. Overwrite it, save the mask under another name, or cancel?', target),
    saveAsTitle: trans.__('Save the mask as'),
    extension: '.tif',
    extensions: /\.tiff?$/i
  });
}

/** The words and the file type of a `chooseSavePath` dialog. */
export interface ISaveDialogText {
  /** Title of the "it exists" dialog. */
  title: string;
  /** Its text for the path that exists. */
  body: (path: string) => string;
  /** Title of the "save as" name dialog. */
  saveAsTitle: string;
  /** Added to a name typed without one of `extensions`. */
  extension: string;
  extensions: RegExp;
}

/**
 * Where to save a file that must not overwrite anything without asking: `path` when it is free,
 * or what the user chose when it exists (overwrite it, or save under another name); null when
 * the user cancelled.
 */
export async function chooseSavePath(
  contents: Contents.IManager,
  path: string,
  trans: TranslationBundle,
  text: ISaveDialogText
): Promise<string | null> {
  let target = path;
  for (;;) {
    if (!(await fileExists(contents, target))) {
      return target;
    }
    const overwrite = trans.__('Overwrite');
    const saveAs = trans.__('Save As…');
    const choice = await showDialog({
      title: text.title,
      body: text.body(target),
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
      title: text.saveAsTitle,
      label: trans.__('File name in %1', PathExt.dirname(target) || '/'),
      text: await Private.freeName(contents, target)
    });
    if (!name.button.accept || !name.value?.trim()) {
      return null;
    }
    const file = name.value.trim();
    target = PathExt.join(PathExt.dirname(target), text.extensions.test(file) ? file : `${file}${text.extension}`);
  }
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
