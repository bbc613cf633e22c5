import { Button, Modal } from '../shared';

export interface LiveConfirmModalProps {
  open: boolean;
  environmentName: string;
  action: 'switch' | 'save';
  onConfirm: () => void;
  onCancel: () => void;
}

/** The live interlock's question: live environments touch real banks and real people's data. */
export function LiveConfirmModal({ open, environmentName, action, onConfirm, onCancel }: LiveConfirmModalProps) {
  return (
    <Modal
      open={open}
      tone="live"
      title={action === 'switch' ? `Switch to ${environmentName}?` : `Save live environment ${environmentName}?`}
      onClose={onCancel}
      data-testid="live-confirm"
      footer={
        <>
          <Button variant="ghost" onClick={onCancel}>
            Cancel
          </Button>
          <Button variant="danger" onClick={onConfirm} data-testid="live-confirm-accept">
            {action === 'switch' ? 'Use live' : 'Save live environment'}
          </Button>
        </>
      }
    >
      <div className="stack-sm">
        <p>This is a live TrueLayer environment: links reach real banks and show real customers’ data.</p>
        <p className="secondary">
          Connections made here are read-only: extend and revoke stay locked until you unlock them on the connection.
          You will not be asked again during this session.
        </p>
      </div>
    </Modal>
  );
}
