// Plain-words explanations of the errors that cross IPC: a title, and the next step the user can take.
import type { ErrorCause, ErrorCode, IpcErrorPayload } from '../../ipc';

export interface Explanation {
  title: string;
  nextStep: string;
}

const BY_CODE: Record<ErrorCode, Explanation> = {
  invalid_callback: {
    title: 'That is not a redirect Linkscope can read',
    nextStep: 'Paste the whole URL the bank sent you back to, including code and state, then try again.',
  },
  unknown_state: {
    title: 'This redirect does not belong to a link started here',
    nextStep:
      'Links are single use and only this app’s latest one is accepted. Build a new link and go through the bank again.',
  },
  link_already_used: {
    title: 'This redirect was already used',
    nextStep:
      'A link, and its code, work once. Nothing was stored this time. Build a new link and go through the bank again.',
  },
  different_connection: {
    title: 'The re-consent came back with another bank',
    nextStep:
      'The connection was left unchanged. Keep the new consent as a new connection, or build the re-consent link again and pick the same bank.',
  },
  link_expired: {
    title: 'The link expired before the bank answered',
    nextStep: 'Build a new link; the code must be exchanged within minutes of the bank’s redirect.',
  },
  access_denied_by_user: {
    title: 'Access was refused',
    nextStep:
      'The user or the bank declined the consent, so nothing was saved. Start again and approve the consent screen.',
  },
  token_exchange_failed: {
    title: 'TrueLayer refused to exchange the code for tokens',
    nextStep:
      'Build a new link and try again. If it keeps failing, check this environment’s client_id, secret and redirect URI in Settings.',
  },
  reauth_required: {
    title: 'The bank needs the user to consent again',
    nextStep: 'Use Re-consent to build a new link for this bank; the connection keeps its history here.',
  },
  consent_expired: {
    title: 'The consent has expired',
    nextStep: 'Re-consent, or extend the connection if the bank allows it.',
  },
  not_found: {
    title: 'Not found',
    nextStep: 'It may have been forgotten or removed. Pick another item from the sidebar.',
  },
  validation: {
    title: 'Some values are not valid',
    nextStep: 'Correct the values described above and try again.',
  },
  truelayer: {
    title: 'TrueLayer returned an error',
    nextStep: 'Check the trace id in the request inspector; retry later if the bank is having trouble.',
  },
  network: {
    title: 'Linkscope could not reach the server',
    nextStep: 'Check your network connection (or that the environment’s URLs are right) and try again.',
  },
  cancelled: {
    title: 'Cancelled',
    nextStep: 'Nothing was changed. Start again when you are ready.',
  },
  keychain_unavailable: {
    title: 'The keychain is unavailable',
    nextStep:
      'Nothing was changed and no secret was lost: the system keychain did not answer (locked, or its service is not running). Unlock it, then retry.',
  },
  confirmation_required: {
    title: 'This change needs your confirmation',
    nextStep: 'Read what the change does, then confirm it or cancel to keep everything as it is.',
  },
  internal: {
    title: 'Something went wrong inside Linkscope',
    nextStep: 'Try again. If it happens again, export a support bundle and attach it to a ticket.',
  },
};

/** TrueLayer's own error codes (detail.tlError) that deserve a more precise next step. */
const BY_TL_ERROR: Record<string, Explanation> = {
  invalid_grant: {
    title: 'The authorisation code or refresh token was refused',
    nextStep: 'Codes are valid for 5 minutes and only once. Build a new link and complete it promptly.',
  },
  invalid_authorization_code: {
    title: 'The authorisation code was refused',
    nextStep: 'Codes are valid for 5 minutes and only once. Build a new link and complete it promptly.',
  },
  invalid_client: {
    title: 'TrueLayer did not accept this client_id and secret',
    nextStep: 'Check the credentials in Settings; a sandbox client only works against the sandbox hosts.',
  },
  unauthorized_client: {
    title: 'TrueLayer did not accept the client or redirect URI',
    nextStep: 'Check that the redirect URI is allow-listed for this client in TrueLayer Console.',
  },
  access_denied: {
    title: 'The bank denied access to this data',
    nextStep: 'The consent has probably expired or been revoked. Re-consent to continue.',
  },
  sca_exceeded: {
    title: 'The bank wants the user to authenticate again',
    nextStep:
      'This data is only available shortly after the user authenticates. Re-consent and fetch it straight away.',
  },
  endpoint_not_supported: {
    title: 'This bank does not offer this data',
    nextStep: 'Nothing to fix: the provider does not support this endpoint.',
  },
  provider_error: {
    title: 'The bank’s service is unavailable',
    nextStep: 'The provider reported an error on its side. Try again later.',
  },
  temporarily_unavailable: {
    title: 'The bank’s service is temporarily unavailable',
    nextStep: 'Try again in a few minutes.',
  },
  provider_timeout: {
    title: 'The bank took too long to answer',
    nextStep: 'Try again; long date ranges are fetched in smaller windows.',
  },
  provider_too_many_requests: {
    title: 'The bank’s rate limit was reached',
    nextStep: 'Wait a little before retrying.',
  },
  provider_request_limit_exceeded: {
    title: 'The bank’s daily limit for unattended calls was reached',
    nextStep: 'Calls made while the user is present are not limited; try again tomorrow or re-consent.',
  },
  account_temporarily_locked: {
    title: 'The account is temporarily locked at the bank',
    nextStep: 'The user must unlock it with their bank; try again later.',
  },
  account_permanently_locked: {
    title: 'The account is permanently locked at the bank',
    nextStep: 'Data cannot be read from this account. The user must contact their bank.',
  },
  user_input_required: {
    title: 'The bank needs input from the user',
    nextStep: 'Re-consent so the user can complete the bank’s extra step.',
  },
  internal_error: {
    title: 'The bank reported an internal error',
    nextStep: 'Try again later.',
  },
  invalid_date_range: {
    title: 'The bank refused that date range',
    nextStep: 'Pick a shorter or more recent range.',
  },
  validation_error: {
    title: 'TrueLayer rejected the request parameters',
    nextStep: 'Check the request in the inspector.',
  },
  invalid_token: {
    title: 'The access token was not accepted',
    nextStep: 'Refresh the connection, or re-consent if refreshing fails.',
  },
  unauthorized: {
    title: 'The credentials or token are no longer valid',
    nextStep: 'Refresh the connection, or re-consent if refreshing fails.',
  },
};

/** The causes core tells apart behind one TrueLayer code (most are invalid_grant). */
const BY_CAUSE: Record<ErrorCause, Explanation> = {
  code_expired: {
    title: 'The bank’s code expired',
    nextStep:
      'A code must be exchanged within 5 minutes of the bank’s redirect. Build a new link and complete it straight away.',
  },
  code_already_used: {
    title: 'The bank’s code was already used',
    nextStep: 'A code works once. Build a new link to link again.',
  },
  redirect_uri_mismatch: {
    title: 'The redirect URI does not match the link’s',
    nextStep:
      'TrueLayer wants the exact redirect_uri the link was built with. Build a new link and complete it on the redirect it names.',
  },
  pkce_mismatch: {
    title: 'The PKCE verifier does not belong to this link',
    nextStep: 'Each link has its own PKCE pair. Build a new link and complete that one.',
  },
  wrong_client: {
    title: 'TrueLayer did not accept this client',
    nextStep:
      'Check the client_id and secret in Settings; a sandbox client only works against the sandbox hosts, a live one against live.',
  },
  refresh_token_idle: {
    title: 'The refresh token expired after 30 days unused',
    nextStep: 'The user must consent again. Re-consent renews this same connection, with its history.',
  },
  consent_ended: {
    title: 'The consent is over',
    nextStep:
      'Its 90 days (or the bank’s date) have passed. Re-consent renews this same connection; next time, extend before it ends.',
  },
  connection_revoked: {
    title: 'The connection was revoked',
    nextStep: 'Its tokens no longer work. Re-consent to link the bank again.',
  },
  historical_window: {
    title: 'Older transactions are only available just after login',
    nextStep:
      'Transactions older than 90 days are only available for minutes after the user logs in; ask for the last 90 days or re-authenticate.',
  },
};

export function explainError(error: IpcErrorPayload): Explanation {
  const cause = error.detail?.cause;
  if (cause) return BY_CAUSE[cause];
  const tl = error.detail?.tlError;
  if (tl) {
    const specific = BY_TL_ERROR[tl];
    if (specific) return specific;
  }
  return BY_CODE[error.code];
}
