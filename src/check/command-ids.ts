/** The command IDs of the center check (`diffraction:verb-noun`). */
export namespace CheckCommandIDs {
  export const togglePolarView = 'diffraction:toggle-polar-view';
  export const toggleProfile = 'diffraction:toggle-radial-profile';
  export const toggleRingsFollowPeaks = 'diffraction:toggle-rings-follow-peaks';
  export const saveProfile = 'diffraction:save-profile';
  export const copyProfile = 'diffraction:copy-profile';
  export const insertProfileCode = 'diffraction:insert-profile-code';
}
