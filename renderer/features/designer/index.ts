export { DesignerHost, EditTableButton, NewTableButton } from './designer-host';
export { SampleOffer } from './sample-offer';
