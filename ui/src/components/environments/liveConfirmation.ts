// The live interlock asks once per session (sessionStorage ends with the app).
const KEY = 'linkscope.liveConfirmed';

export function liveConfirmed(): boolean {
  try {
    return window.sessionStorage.getItem(KEY) === 'yes';
  } catch {
    return false;
  }
}

export function rememberLiveConfirmed(): void {
  try {
    window.sessionStorage.setItem(KEY, 'yes');
  } catch {
    // storage unavailable: the user will simply be asked again
  }
}
